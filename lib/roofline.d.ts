// Types of lib/roofline.js (see docs/roofline.md).

export interface RooflineApi {
}
