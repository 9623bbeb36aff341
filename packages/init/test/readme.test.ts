import { testReadmeExample } from '@skipinit/devtools/readme-example';

testReadmeExample({ dir: import.meta.dirname, name: '@skipinit/init', load: () => import('./readme-example'), lines: 6 });
