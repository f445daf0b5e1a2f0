// Import FIRST in a view test to render with chalk's colour level 0: every ESC in the frame then
// comes from data, which must never happen.
process.env.FORCE_COLOR = '0';
export {};
