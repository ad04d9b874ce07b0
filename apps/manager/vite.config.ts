import { okcSpaConfig } from '@okc/web/vite';

export default okcSpaConfig('manager', import.meta.dirname);
