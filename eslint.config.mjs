import nx from '@nx/eslint-plugin';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The dependency direction of DESIGN.md, enforced: a package may import only the packages listed here.
const allow = {
  'scope:graph': [],
  'scope:tensor': [],
  'scope:data': [],
  'scope:dsl': ['scope:graph'],
  'scope:init': ['scope:graph'],
  'scope:backend-gpujs': ['scope:tensor'],
  'scope:layers': ['scope:tensor', 'scope:graph', 'scope:init'],
  'scope:trainer': ['scope:tensor', 'scope:graph', 'scope:layers', 'scope:data'],
  'scope:analysis': ['scope:tensor', 'scope:graph', 'scope:layers', 'scope:trainer'],
  'scope:queue': ['scope:analysis', 'scope:trainer', 'scope:graph', 'scope:tensor'],
  'scope:cli': ['scope:*'],
  'type:tool': ['scope:*', 'type:tool'],
};

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', 'reports/**', 'runs/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { '@nx': nx },
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: Object.entries(allow).map(([sourceTag, tags]) => ({
            sourceTag,
            onlyDependOnLibsWithTags: tags,
          })),
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
];
