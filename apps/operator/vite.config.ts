import { okcSpaConfig } from '@okc/web/vite';

export default okcSpaConfig('operator', import.meta.dirname);
