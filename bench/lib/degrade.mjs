// A phone camera looking at a screen, in plain JS on grayscale buffers: slight rotation, downscale
// (area-averaged, as a sensor integrates light), Gaussian blur (focus), Gaussian noise (sensor).
// Every random choice comes from the seeded generator, so a trial is reproducible.
import { gaussian } from './stats.mjs';

// The phone behind the model: a cheap phone's camera preview (what a web or in-app scanner decodes)
// is ~720 px wide with ~70° horizontal field of view; the screen is taken at the CSS reference pixel,
// 1/96 inch = 0.2646 mm (real screens differ: a HiDPI laptop's CSS pixel is often ~0.2 mm).
export const PREVIEW_PX = 720;
export const HFOV_DEG = 70;
export const MM_PER_CSS_PX = 0.2646;

/**
 * Camera pixels per CSS pixel (per axis) with the phone `cm` centimetres from the screen, pinhole
 * model: the preview's width spans 2·d·tan(hFOV/2) of screen. The fixed CAMERA.scale hides this
 * distance; scaleAtDistance(22) ≈ 0.62, so CAMERA.scale 0.6 is a phone held ~22–23 cm away. People
 * bring the phone closer to a small code, down to the minimum focus distance (~10 cm on cheap phones).
 */
export function scaleAtDistance(cm, { previewPx = PREVIEW_PX, hfovDeg = HFOV_DEG, mmPerCssPx = MM_PER_CSS_PX } = {}) {
  const viewMm = 2 * cm * 10 * Math.tan((hfovDeg * Math.PI) / 360);
  return (previewPx / viewMm) * mmPerCssPx;
}

export const CAMERA = {
  scale: 0.6, // the code covers ~60% as many camera pixels as screen pixels (per axis): ~22 cm, see scaleAtDistance
  scaleJitter: 0.03, // ±, per trial
  rotationDeg: [3, 5], // magnitude, random sign
  blurSigma: 0.8, // px, after downscale: a 3×3 (radius 1) Gaussian kernel, slight defocus
  noiseSigma: 8, // grey levels (0–255)
};

/** RGBA (pngjs) → grayscale Float32Array. */
export function toGray({ data, width, height }) {
  const gray = new Float32Array(width * height);
  for (let i = 0; i < gray.length; i += 1) gray[i] = 0.299 * data[i * 4] + 0.587 * data[i * 4 + 1] + 0.114 * data[i * 4 + 2];
  return { gray, width, height };
}

function sample(src, w, h, x, y) {
  // Bilinear, white outside the picture (the page around the code is white).
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const at = (xx, yy) => (xx < 0 || yy < 0 || xx >= w || yy >= h ? 255 : src[yy * w + xx]);
  return at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy) + at(x0, y0 + 1) * (1 - fx) * fy + at(x0 + 1, y0 + 1) * fx * fy;
}

function blur(img, w, h, sigma) {
  const radius = 1; // "radius ~1": a 3×3 kernel
  const kernel = [];
  let sum = 0;
  for (let i = -radius; i <= radius; i += 1) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    kernel.push(v);
    sum += v;
  }
  for (let i = 0; i < kernel.length; i += 1) kernel[i] /= sum;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      let acc = 0;
      for (let k = -radius; k <= radius; k += 1) {
        const xx = Math.min(w - 1, Math.max(0, x + k));
        acc += img[y * w + xx] * kernel[k + radius];
      }
      tmp[y * w + x] = acc;
    }
  }
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      let acc = 0;
      for (let k = -radius; k <= radius; k += 1) {
        const yy = Math.min(h - 1, Math.max(0, y + k));
        acc += tmp[yy * w + x] * kernel[k + radius];
      }
      out[y * w + x] = acc;
    }
  }
  return out;
}

/** One simulated camera shot of `src` (from toGray); returns RGBA for jsqr. */
export function cameraShot({ gray, width, height }, random, camera = CAMERA) {
  const scale = camera.scale * (1 + (random() * 2 - 1) * camera.scaleJitter);
  const [lo, hi] = camera.rotationDeg;
  const angle = ((lo + random() * (hi - lo)) * (random() < 0.5 ? -1 : 1) * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const ow = Math.ceil((width * Math.abs(cos) + height * Math.abs(sin)) * scale) + 4;
  const oh = Math.ceil((width * Math.abs(sin) + height * Math.abs(cos)) * scale) + 4;
  const dx = random();
  const dy = random();
  const out = new Float32Array(ow * oh);
  // Each camera pixel averages 2×2 points of the screen image it covers (a sensor integrates).
  const SUB = 2;
  for (let y = 0; y < oh; y += 1) {
    for (let x = 0; x < ow; x += 1) {
      let acc = 0;
      for (let sy = 0; sy < SUB; sy += 1) {
        for (let sx = 0; sx < SUB; sx += 1) {
          const px = (x + (sx + 0.5) / SUB - ow / 2 + dx) / scale;
          const py = (y + (sy + 0.5) / SUB - oh / 2 + dy) / scale;
          const srcX = px * cos + py * sin + width / 2;
          const srcY = -px * sin + py * cos + height / 2;
          acc += sample(gray, width, height, srcX - 0.5, srcY - 0.5);
        }
      }
      out[y * ow + x] = acc / (SUB * SUB);
    }
  }
  const blurred = camera.blurSigma > 0 ? blur(out, ow, oh, camera.blurSigma) : out;
  const rgba = new Uint8ClampedArray(ow * oh * 4);
  for (let i = 0; i < blurred.length; i += 1) {
    const v = blurred[i] + gaussian(random) * camera.noiseSigma;
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = v;
    rgba[i * 4 + 3] = 255;
  }
  return { data: rgba, width: ow, height: oh };
}
