import pino, { type Logger } from 'pino';

/** Structured JSON logs; credentials are redacted wherever they appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'vneid-campaign-api' },
    redact: {
      paths: ['password', '*.password', '*.newPassword', '*.currentPassword', 'token', '*.token', '*.refreshToken', '*.accessToken', 'authorization', '*.authorization', '*.apiKey', 'variables.*.password'],
      censor: '[redacted]',
    },
  });
}
