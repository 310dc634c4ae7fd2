/*
 * Type tests of react-liveness-session/assets and the server's `assets` option (issue 26), run by
 * `npm run test:types`. Each pins a promise the types make to apps.
 */
import { describe, expectTypeOf, test } from 'vitest';
import { LivenessAssets, useLivenessAssets, type AssetFailureReason, type LivenessAssetItem, type LivenessAssetsProps } from '../../src/assets.js';
import { assetsEn, assetsZhCN, type LivenessAssetsLocaleData } from '../../src/locales.js';
import { createLivenessHandler, type ActiveAsset, type LivenessAssetOptions } from '../../src/server.js';

describe('the asset panel', () => {
  test('takes the session component’s theming and its own locales, and needs an endpoint', () => {
    expectTypeOf(assetsZhCN).toEqualTypeOf<LivenessAssetsLocaleData>();
    void (<LivenessAssets endpoint="/api/liveness/assets" locale={assetsEn} theme={{ accent: '#000' }} classNames={{ chooseButton: 'c', item: 'i' }} unstyled colorScheme="system" />);
    // @ts-expect-error the endpoint is required
    void (<LivenessAssets />);
    // @ts-expect-error a slot that does not exist
    void (<LivenessAssets endpoint="/x" classNames={{ qrCode: 'q' }} />);
    expectTypeOf<LivenessAssetsProps['types']>().toEqualTypeOf<readonly ('image' | 'video')[] | undefined>();
  });

  test('an item says why it was refused or failed, and its asset id once it has one', () => {
    const item = {} as LivenessAssetItem;
    expectTypeOf(item.reason).toEqualTypeOf<AssetFailureReason | undefined>();
    expectTypeOf(item.assetId).toEqualTypeOf<string | undefined>();
    expectTypeOf(item.rejection?.reason).toMatchTypeOf<string | undefined>();
    const { items, add, retry, remove } = useLivenessAssets({ endpoint: '/api/liveness/assets' });
    expectTypeOf(items).toEqualTypeOf<readonly LivenessAssetItem[]>();
    // What an <input type="file"> gives, or an array of files from a drop.
    expectTypeOf<FileList>().toMatchTypeOf<Parameters<typeof add>[0]>();
    expectTypeOf<File[]>().toMatchTypeOf<Parameters<typeof add>[0]>();
    expectTypeOf(retry).toEqualTypeOf<(key: string) => void>();
    expectTypeOf(remove).toEqualTypeOf<(key: string) => void>();
  });
});

describe('the server’s assets option', () => {
  test('groupIdFor is required; onAssetActive gets the subject, the group, the asset id and its type', () => {
    createLivenessHandler({ apiKey: 'k', assets: { groupIdFor: async (subject: string) => (subject ? 'group-x' : undefined) } });
    // @ts-expect-error groupIdFor is required
    createLivenessHandler({ apiKey: 'k', assets: {} });
    expectTypeOf<Parameters<NonNullable<LivenessAssetOptions['onAssetActive']>>[0]>().toEqualTypeOf<ActiveAsset>();
    expectTypeOf<ActiveAsset['type']>().toEqualTypeOf<'image' | 'video'>();
    expectTypeOf<ActiveAsset['activeAt']>().toEqualTypeOf<Date>();
  });
});
