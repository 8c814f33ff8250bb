import type { ThemeConfig } from 'antd';

/**
 * Noto Sans SC ships with the app (see main.tsx) so Chinese renders the same on every machine; the
 * generic fallback only matters while the font file is still loading.
 */
export const FONT_FAMILY = '"Noto Sans SC", sans-serif';

export const appTheme: ThemeConfig = {
  token: {
    fontFamily: FONT_FAMILY,
    colorPrimary: '#1d5fd1',
    borderRadius: 6,
  },
  components: {
    Layout: { headerBg: '#ffffff', headerPadding: '0 24px' },
  },
};
