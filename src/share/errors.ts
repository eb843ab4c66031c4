// The typed error of decoding a shared run URL: a code for programs and a message for people. Every way a
// link can be bad maps to one code; nothing else escapes decodeRunUrl.

export type ShareErrorCode =
  | 'empty' // nothing to decode
  | 'too-long' // the text is over the size limit before decompression
  | 'no-run' // the URL has no #run= parameter
  | 'bad-format' // 'run=' is not followed by v<N>.<data>
  | 'unknown-version' // a version this lab cannot read or migrate
  | 'bad-base64' // the data is not base64url
  | 'corrupt' // not valid compressed data, or truncated
  | 'too-large' // decompresses past the size limit (a deflate bomb, or a run far too big)
  | 'bad-utf8' // the decompressed bytes are not UTF-8 text
  | 'not-json' // the text is not JSON
  | 'forbidden-key' // a '__proto__', 'constructor' or 'prototype' key, or nesting too deep
  | 'invalid'; // the JSON is not a valid run record (wrong type, unknown key, non-finite number, ...)

export class ShareDecodeError extends Error {
  override name = 'ShareDecodeError';
  constructor(
    readonly code: ShareErrorCode,
    message: string,
    /** Dotted path of the bad field for 'invalid' and 'forbidden-key'; '' otherwise. */
    readonly field = '',
  ) {
    super(message);
  }
}
