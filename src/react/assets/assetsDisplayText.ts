import type { LivenessLocale } from '../text/displayText.js';

/**
 * Every string `<LivenessAssets>` shows or announces. Keys are public API: override any of them with
 * the `displayText` prop. English is built in; `assetsZhCN` and `assetsZhTW` are in
 * `react-liveness-session/locales`. Placeholders in braces are filled in: `{name}` (the file's name),
 * `{percent}`, `{size}` and `{max}` (sizes such as "42.1 MB"), `{width}`, `{height}`, `{min}`, `{seconds}`,
 * `{fps}`, `{formats}` (the accepted formats, such as "JPG, PNG, HEIC").
 */
export interface LivenessAssetsDisplayText {
  /** Heading. */
  title: string;
  /** Under the heading: what to add, and that it must show the verified person. */
  instruction: string;
  /** The button that opens the file picker, when only photos are accepted. */
  chooseButton: string;
  /** The same button when videos are accepted too. */
  chooseButtonWithVideo: string;
  /** On phones: the button that opens the front camera. */
  takePhotoButton: string;
  /** Accessible name of the list of files. */
  listLabel: string;
  /** While a file's header is read, before anything is sent. */
  checkingText: string;
  /** The progress bar's value as screen readers read it; `{percent}` is how much is sent. */
  uploadingText: string;
  /** While a file is sent (announced once, not at every percent). */
  uploadingIndeterminateText: string;
  /** Accessible name of the progress bar; `{name}` is the file's. */
  progressLabel: string;
  /** While the upstream checks the face. */
  processingText: string;
  /** Once accepted. */
  activeText: string;
  /** The upstream found another person's face (`face_mismatch`). */
  failedFaceMismatchText: string;
  /** What to do about `failedFaceMismatchText`. */
  failedFaceMismatchAdvice: string;
  /** The upstream could not use the file (`invalid_media`). */
  failedInvalidMediaText: string;
  failedInvalidMediaAdvice: string;
  /** Any other refusal, or no decision in time (`unknown`). */
  failedUnknownText: string;
  failedUnknownAdvice: string;
  /** Not an accepted type (judged by its bytes, not its name). */
  rejectedUnsupportedTypeText: string;
  /** `{formats}`: the accepted formats. */
  rejectedUnsupportedTypeAdvice: string;
  /** `{size}`: the file's size. */
  rejectedFileTooLargeText: string;
  /** `{max}`: the cap for its type. */
  rejectedFileTooLargeAdvice: string;
  rejectedEmptyText: string;
  rejectedEmptyAdvice: string;
  rejectedUnreadableText: string;
  rejectedUnreadableAdvice: string;
  rejectedTruncatedText: string;
  rejectedTruncatedAdvice: string;
  /** `{width}` × `{height}` px. */
  rejectedDimensionsTooSmallText: string;
  /** `{min}`: the shortest side allowed. */
  rejectedDimensionsTooSmallAdvice: string;
  rejectedDimensionsTooLargeText: string;
  /** `{max}`: the longest side allowed. */
  rejectedDimensionsTooLargeAdvice: string;
  rejectedAspectRatioText: string;
  rejectedAspectRatioAdvice: string;
  /** `{seconds}`: the video's length. */
  rejectedDurationText: string;
  /** `{min}` and `{max}`: seconds. */
  rejectedDurationAdvice: string;
  /** `{fps}`: the video's frame rate. */
  rejectedFrameRateText: string;
  rejectedFrameRateAdvice: string;
  /** The device could not reach the server. */
  networkError: string;
  /** The upload stopped making progress, or the server did not answer in time. */
  timeoutError: string;
  /** Too many uploads (HTTP 429 or 503). */
  rateLimitedError: string;
  /** Not signed in, or not allowed (HTTP 401 or 403). */
  unauthorizedError: string;
  /** No verified person to add files for (HTTP 404): verify first. */
  notVerifiedError: string;
  /** The upstream does not know the person's verification (`upstream_group_not_found`): verify again. */
  groupNotFoundError: string;
  /** Any other failure. */
  serverError: string;
  /** Sends a file whose upload failed again. */
  retryButton: string;
  /** Takes a file off the list. */
  removeButton: string;
  /** Accessible name of the remove button; `{name}` is the file's. */
  removeLabel: string;
}

export const defaultAssetsDisplayTextEn: LivenessAssetsDisplayText = {
  title: 'Add a reference photo',
  instruction: 'Add a clear, recent photo of your face. It must show the person who was just verified.',
  chooseButton: 'Choose a photo',
  chooseButtonWithVideo: 'Choose a photo or video',
  takePhotoButton: 'Take a photo',
  listLabel: 'Your files',
  checkingText: 'Checking the file…',
  uploadingText: 'Uploading… {percent}%',
  uploadingIndeterminateText: 'Uploading…',
  progressLabel: 'Upload of {name}',
  processingText: 'Checking that the face matches the verified person…',
  activeText: 'Added.',
  failedFaceMismatchText: 'The face does not match the verified person.',
  failedFaceMismatchAdvice: 'Use a photo of yourself, with your face clearly visible.',
  failedInvalidMediaText: 'The service could not use this file.',
  failedInvalidMediaAdvice: 'Try another photo: a clear JPG or PNG works best.',
  failedUnknownText: 'This file could not be added.',
  failedUnknownAdvice: 'Try again later, or with another file.',
  rejectedUnsupportedTypeText: 'This type of file can’t be used.',
  rejectedUnsupportedTypeAdvice: 'Use one of these: {formats}.',
  rejectedFileTooLargeText: 'The file is too large ({size}).',
  rejectedFileTooLargeAdvice: 'Use one smaller than {max}, or a resized copy.',
  rejectedEmptyText: 'The file is empty.',
  rejectedEmptyAdvice: 'Choose the file again.',
  rejectedUnreadableText: 'This file can’t be read.',
  rejectedUnreadableAdvice: 'Save it again as JPG or PNG, or choose another one.',
  rejectedTruncatedText: 'The file is incomplete.',
  rejectedTruncatedAdvice: 'It may not have finished copying or downloading. Choose it again.',
  rejectedDimensionsTooSmallText: 'The picture is too small ({width} × {height} px).',
  rejectedDimensionsTooSmallAdvice: 'Each side needs at least {min} px: use the original photo, not a thumbnail.',
  rejectedDimensionsTooLargeText: 'The picture is too large ({width} × {height} px).',
  rejectedDimensionsTooLargeAdvice: 'Each side can be at most {max} px: resize it, then try again.',
  rejectedAspectRatioText: 'The picture is too narrow or too wide ({width} × {height} px).',
  rejectedAspectRatioAdvice: 'Crop it closer to a square: the long side at most 2.5 times the short one.',
  rejectedDurationText: 'The video is {seconds} seconds long.',
  rejectedDurationAdvice: 'Use a video of {min} to {max} seconds.',
  rejectedFrameRateText: 'The video’s frame rate ({fps} fps) can’t be used.',
  rejectedFrameRateAdvice: 'Record it at 24 to 60 frames per second.',
  networkError: 'We couldn’t reach the server. Check your connection and try again.',
  timeoutError: 'The upload took too long. Check your connection and try again.',
  rateLimitedError: 'Too many uploads right now. Wait a moment, then try again.',
  unauthorizedError: 'You are not signed in, or not allowed to add files here. Sign in and try again.',
  notVerifiedError: 'Verify your identity first, then add photos.',
  groupNotFoundError: 'Your verification could not be found. Verify again, then add photos.',
  serverError: 'Something went wrong on our side. Please try again.',
  retryButton: 'Try again',
  removeButton: 'Remove',
  removeLabel: 'Remove {name}',
};

/** A locale of `<LivenessAssets>`: its code (the root's `lang`) and its display text. */
export interface LivenessAssetsLocaleData {
  code: LivenessLocale;
  displayText: LivenessAssetsDisplayText;
}
