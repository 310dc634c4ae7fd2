// Every Content-Security-Policy violation on the demo's page, for the end-to-end tests (which read
// window.cspViolations in Chromium, Firefox and WebKit alike). A classic script loaded first, from the
// page's own origin, as the demo's strict policy allows.
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', function (event) {
  window.cspViolations.push(event.effectiveDirective + ' ' + event.blockedURI);
});
