export function attentionApi(Module) {
  return {};
}
