export const quantCommands = [];
