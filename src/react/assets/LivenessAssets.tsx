import { forwardRef, useEffect, useId, useState, type ChangeEvent, type CSSProperties, type HTMLAttributes } from 'react';
import { loadChecker, type LivenessAssetItem } from '../../core/assets/LivenessAssetsController.js';
import { LIVENESS_FACE_LIMITS } from '../../core/media/assetLimits.js';
import { detectMobile } from '../detectMobile.js';
import { themeToCssVariables, type LivenessTheme } from '../themeToCssVariables.js';
import { assetSlot, type LivenessAssetsClassNames } from './assetSlots.js';
import { defaultAssetsDisplayTextEn, type LivenessAssetsDisplayText, type LivenessAssetsLocaleData } from './assetsDisplayText.js';
import { fill, itemText } from './assetText.js';
import { useLivenessAssets, type UseLivenessAssetsOptions } from './useLivenessAssets.js';

export interface LivenessAssetsProps extends UseLivenessAssetsOptions, Omit<HTMLAttributes<HTMLDivElement>, 'onChange' | 'children'> {
  /**
   * The language of the text and of the root's `lang`. English is built in; import others from
   * `react-liveness-session/locales`: `import { assetsZhCN } from 'react-liveness-session/locales'`.
   * @default English
   */
  locale?: 'en' | LivenessAssetsLocaleData;
  /** Override any string of the chosen `locale`. */
  displayText?: Partial<LivenessAssetsDisplayText>;
  /** Colours, radius and font, as `--liveness-*` CSS variables on the root (the same as `<LivenessSession>`'s). */
  theme?: LivenessTheme;
  /** `system` follows `prefers-color-scheme`. @default 'light' */
  colorScheme?: 'light' | 'dark' | 'system';
  /** A class per part (`root`, `chooseButton`, `item`, `progress`, …). */
  classNames?: LivenessAssetsClassNames;
  /** Drop the default look (`styles.css` rules stop matching); structure and data attributes stay. @default false */
  unstyled?: boolean;
  /**
   * The nonce of your page's Content-Security-Policy (`style-src 'nonce-…'`): the few styles the
   * component sets itself (the `theme` variables, the hidden file inputs) then go into one `<style nonce>`
   * scoped to the root instead of `style` attributes. See `<LivenessSession>`'s `nonce`.
   * @default undefined (`style` attributes)
   */
  nonce?: string;
  /**
   * Offer "Take a photo" (the front camera: `capture="user"`) beside choosing a file. `auto`: on phones
   * and tablets, decided after mount.
   * @default 'auto'
   */
  camera?: 'auto' | boolean;
  /** Let the person pick several files at once. @default false */
  multiple?: boolean;
}

// The file inputs are hidden inline (or, with `nonce`, by the scoped sheet), not in styles.css: a
// visible native input would show when the app ships no stylesheet. Hidden this way they stay focusable
// and keep their label as accessible name, and WebDriver can still set their files.
const HIDDEN: CSSProperties = { position: 'absolute', width: 1, height: 1, margin: -1, padding: 0, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap', border: 0 };
const HIDDEN_RULE = 'position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0';

const ACCEPT = { image: 'image/*', video: 'video/mp4,video/quicktime' } as const;

/**
 * After `verified`: the person adds reference photos (or short videos) of themselves, which the upstream
 * accepts only when the face is the verified person's. Each file is checked in the browser first (type,
 * size, pixels, aspect ratio, a video's length and frame rate: the reason in words and what to do), then
 * uploaded with a progress bar, then followed until it is `active` or `failed`. The root carries
 * `data-liveness-assets` and `data-state` (the latest file's state, or `idle`); each file is an `item`
 * with its own `data-state` and, when refused, `data-reason`.
 *
 * @example
 * <LivenessAssets endpoint="/api/liveness/assets" onAssetActive={({ assetId }) => setReference(`asset://${assetId}`)} />
 */
export const LivenessAssets = /* @__PURE__ */ forwardRef<HTMLDivElement, LivenessAssetsProps>(function LivenessAssets(props, ref) {
  const {
    endpoint,
    types,
    limits,
    pollIntervalMs,
    transport,
    stallTimeoutMs,
    fetch,
    onAssetActive,
    onAssetFailed,
    onChange,
    locale,
    displayText: overrides,
    theme,
    colorScheme = 'light',
    className,
    classNames,
    style,
    unstyled = false,
    nonce,
    camera = 'auto',
    multiple = false,
    ...rest
  } = props;
  const assets = useLivenessAssets({ endpoint, types, limits, pollIntervalMs, transport, stallTimeoutMs, fetch, onAssetActive, onAssetFailed, onChange });
  const scope = useId();
  const [mobile, setMobile] = useState(false);
  useEffect(() => setMobile(detectMobile()), []);
  const text = { ...(typeof locale === 'object' ? locale.displayText : defaultAssetsDisplayTextEn), ...overrides };
  const kinds = types ?? ['image', 'video'];
  const allLimits = { ...LIVENESS_FACE_LIMITS, ...limits };
  const accept = kinds.map((kind) => ACCEPT[kind]).join(',');
  const offerCamera = kinds.includes('image') && (camera === 'auto' ? mobile : camera);
  const latest = assets.items.at(-1);
  const variables = themeToCssVariables(theme);
  const hidden = nonce === undefined ? HIDDEN : undefined;

  const picked = (event: ChangeEvent<HTMLInputElement>) => {
    const { files } = event.currentTarget;
    if (files && files.length > 0) assets.add(files);
    // The same file may be picked again (after fixing it, or after a failed upload was removed).
    event.currentTarget.value = '';
  };
  // The parsers load as the person reaches for a button, so the check starts at once.
  const warm = () => void loadChecker().catch(() => undefined);

  const row = (item: LivenessAssetItem) => {
    const { status, advice } = itemText(item, text, kinds, allLimits);
    const percent = item.progress === undefined ? undefined : Math.round(item.progress * 100);
    return (
      <li key={item.key} {...assetSlot('item', classNames)} data-state={item.state} data-reason={item.rejection?.reason ?? item.reason} data-asset-id={item.assetId}>
        <span {...assetSlot('fileName', classNames)}>{item.file.name}</span>
        {item.state === 'uploading' ? (
          <progress
            {...assetSlot('progress', classNames)}
            max={100}
            {...(percent === undefined ? {} : { value: percent })}
            aria-label={fill(text.progressLabel, { name: item.file.name })}
            aria-valuetext={percent === undefined ? text.uploadingIndeterminateText : fill(text.uploadingText, { percent })}
          />
        ) : null}
        {/* A live region per file: its status and, for a refusal, what to do, announced as they change; the percent is the bar's, not announced at each step. */}
        <div {...assetSlot('itemStatus', classNames)} role="status" aria-live="polite" aria-atomic="true">
          <p>{item.state === 'uploading' ? text.uploadingIndeterminateText : status}</p>
          {advice ? <p {...assetSlot('advice', classNames)}>{advice}</p> : null}
        </div>
        {item.state === 'error' ? (
          <button type="button" {...assetSlot('retryButton', classNames)} onClick={() => assets.retry(item.key)}>
            {text.retryButton}
          </button>
        ) : null}
        {item.state === 'checking' ? null : (
          <button type="button" {...assetSlot('removeButton', classNames)} aria-label={fill(text.removeLabel, { name: item.file.name })} onClick={() => assets.remove(item.key)}>
            {text.removeButton}
          </button>
        )}
      </li>
    );
  };

  const rootClass = [classNames?.root, className].filter(Boolean).join(' ') || undefined;
  return (
    <div
      {...rest}
      ref={ref}
      data-liveness-assets=""
      data-state={latest?.state ?? 'idle'}
      data-color-scheme={colorScheme}
      data-unstyled={unstyled ? '' : undefined}
      aria-busy={assets.busy ? true : undefined}
      lang={rest.lang ?? (typeof locale === 'object' ? locale.code : 'en')}
      className={rootClass}
      style={nonce === undefined ? { ...variables, ...style } : style}
      data-liveness-scope={nonce === undefined ? undefined : scope}
    >
      {nonce === undefined ? null : (
        <style nonce={nonce}>{`[data-liveness-scope="${scope}"]{${Object.entries(variables)
          .map(([name, value]) => `${name}:${value}`)
          .join(';')}}[data-liveness-scope="${scope}"] [data-slot=fileInput]{${HIDDEN_RULE}}`}</style>
      )}
      <p {...assetSlot('title', classNames)}>{text.title}</p>
      <p {...assetSlot('instruction', classNames)}>{text.instruction}</p>
      <div {...assetSlot('actions', classNames)} onPointerEnter={warm} onFocus={warm} onTouchStart={warm}>
        {offerCamera ? (
          <label {...assetSlot('takePhotoButton', classNames)}>
            {text.takePhotoButton}
            <input {...assetSlot('fileInput', classNames)} type="file" accept="image/*" capture="user" onChange={picked} style={hidden} />
          </label>
        ) : null}
        <label {...assetSlot('chooseButton', classNames)}>
          {kinds.includes('video') ? text.chooseButtonWithVideo : text.chooseButton}
          <input {...assetSlot('fileInput', classNames)} type="file" accept={accept} multiple={multiple} onChange={picked} style={hidden} />
        </label>
      </div>
      {assets.items.length > 0 ? (
        <ul {...assetSlot('list', classNames)} aria-label={text.listLabel}>
          {assets.items.map(row)}
        </ul>
      ) : null}
    </div>
  );
});
