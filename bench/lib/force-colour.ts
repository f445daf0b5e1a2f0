// Imported first by benches that draw frames in-process: chalk decides its colour level when it
// is first loaded, from stdout, which is not a terminal there. Operators' terminals take 256
// colours (tmux-256color), so frames are drawn with the escape codes they really carry.
process.env.FORCE_COLOR ??= '2';
