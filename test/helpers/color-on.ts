// Import FIRST in a view test to make Ink emit colour/inverse codes even into a pipe, so tests can
// see highlights and check that config.color=false drops every colour.
process.env.FORCE_COLOR = '3';
delete process.env.NO_COLOR;
export {};
