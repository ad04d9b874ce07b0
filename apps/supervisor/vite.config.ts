import { okcSpaConfig } from '@okc/web/vite';

export default okcSpaConfig('supervisor', import.meta.dirname);
