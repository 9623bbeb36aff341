import { testReadmeExample } from '@skipinit/devtools/readme-example';

testReadmeExample({ dir: import.meta.dirname, name: '@skipinit/trainer', load: () => import('./readme-example'), lines: 2 });
