import type { FakeResponse } from '@sourceline/sdk/testkit';

/** One GoogleAdsError; `index` locates it at `conversions[index]` of an upload. */
export interface FakeGoogleAdsError {
  errorCode: Record<string, string>;
  message: string;
  index?: number;
}

/** A GoogleAdsFailure detail, as Google's REST errors and partial failures carry it. */
export function googleAdsFailure(errors: readonly FakeGoogleAdsError[], version = 'v21') {
  return {
    '@type': `type.googleapis.com/google.ads.googleads.${version}.errors.GoogleAdsFailure`,
    errors: errors.map((e) => ({
      errorCode: e.errorCode, message: e.message,
      ...(e.index !== undefined ? { location: { fieldPathElements: [{ fieldName: 'conversions', index: e.index }] } } : {}),
    })),
  };
}

/** A whole request refused: Google's error body, whose message stays generic on a 400 as Google's does. */
export function failure(status: number, grpcStatus: string, errorCode: Record<string, string>, message: string, version = 'v21'): FakeResponse {
  return {
    status,
    body: {
      error: {
        code: status, message: status === 400 ? 'Request contains an invalid argument.' : message, status: grpcStatus,
        details: [googleAdsFailure([{ errorCode, message }], version)],
      },
    },
  };
}
