// Types of lib/attention.js (see docs/attention.md).

export interface AttentionApi {
}
