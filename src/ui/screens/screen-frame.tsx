// The frame of a full-screen view (task detail, task browser, help): a title rule, exactly
// `height - 3` body lines, the status line and the footer. Fixed height, so the frame never
// grows past rows - 1 whatever the body holds.
import type { ReactNode } from 'react';
import { Box } from 'ink';
import { Footer } from '../panes/footer.js';
import { titleSegs } from '../panes/frame.js';
import { Line } from '../panes/line.js';
import { StatusLine } from '../panes/status-line.js';
import type { FooterHint, StatusMessage } from '../view-state.js';

export interface ScreenFrameProps {
  title: string;
  info?: string | undefined;
  width: number;
  height: number;
  color: boolean;
  status: StatusMessage | null;
  footer: readonly FooterHint[];
  now: number;
  children?: ReactNode;
}

/** Lines the body gets inside a frame of this height. */
export const bodyHeight = (height: number): number => Math.max(0, height - 3);

export function ScreenFrame({ title, info, width, height, color, status, footer, now, children }: ScreenFrameProps) {
  return (
    <Box flexDirection="column" width={width} height={height} overflowY="hidden">
      <Line segs={titleSegs(title, info, true, width)} width={width} color={color} />
      <Box flexDirection="column" width={width} height={bodyHeight(height)} overflowY="hidden">{children}</Box>
      <StatusLine status={status} width={width} color={color} now={now} />
      <Footer hints={footer} width={width} color={color} />
    </Box>
  );
}
