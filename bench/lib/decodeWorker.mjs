// Worker: runs camera-shot trials on one screenshot and decodes each with jsqr.
import { parentPort } from 'node:worker_threads';
import jsQR from 'jsqr';
import { cameraShot } from './degrade.mjs';
import { seededRandom } from './stats.mjs';

// `camera`: another camera than degrade.mjs's CAMERA (the distance sweep), when given.
parentPort.on('message', ({ id, image, camera, trials, seed, expected, maxFailures }) => {
  let ok = 0;
  let run = 0;
  for (let t = 0; t < trials; t += 1) {
    const shot = cameraShot(image, seededRandom(seed + t * 7919), camera);
    const result = jsQR(shot.data, shot.width, shot.height, { inversionAttempts: 'dontInvert' });
    run += 1;
    if (result && result.data === expected) ok += 1;
    // Past this many failures the size cannot reach the pass rate: stop early.
    if (run - ok > maxFailures) break;
  }
  parentPort.postMessage({ id, ok, run });
});
