/** @type {import('next').NextConfig} */
const nextConfig = {
  // The consumer test copies this app into a temp dir: keep Next from looking above it for a root.
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
};

export default nextConfig;
