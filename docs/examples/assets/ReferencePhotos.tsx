// docs/examples/assets/ReferencePhotos.tsx
'use client';
import { lazy, Suspense } from 'react';
import 'react-liveness-session/styles.css';

// An entry of its own, loaded when the person gets here: a page that only verifies never downloads it.
const LivenessAssets = lazy(() => import('react-liveness-session/assets').then((module) => ({ default: module.LivenessAssets })));

/** The step after `verified`: the person's reference photos, checked, uploaded and confirmed one by one. */
export function ReferencePhotos({ onAdded }: { onAdded: (reference: string) => void }) {
  return (
    <Suspense fallback={null}>
      <LivenessAssets
        endpoint="/api/liveness/assets"
        types={['image']}
        // Your server's onAssetActive has stored it by now; this only moves the page on.
        onAssetActive={({ assetId }) => onAdded(`asset://${assetId}`)}
        onAssetFailed={({ reason }) => console.info(`not added: ${reason}`)}
      />
    </Suspense>
  );
}
