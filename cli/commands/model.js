export const modelCommands = [];
