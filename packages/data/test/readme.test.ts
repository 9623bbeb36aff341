import { testReadmeExample } from '@skipinit/devtools/readme-example';

testReadmeExample({ dir: import.meta.dirname, name: '@skipinit/data', load: () => import('./readme-example'), lines: 4 });
