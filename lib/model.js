export function modelApi(Module) {
  return {};
}
