export const rooflineCommands = [];
