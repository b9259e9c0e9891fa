#!/usr/bin/env bash
# Build the extension and the compiled suite, then run the suite in real VS
# Code (see run-vscode.mjs for the environment variables it understands).
#   bash test/e2e/run.sh
# Exit code and output are run-vscode.mjs's; 3 means the tools are missing
# (checked before building, so that case is quick).
set -euo pipefail
cd "$(dirname "$0")/../.."
node test/e2e/run-vscode.mjs --check-tools
npm run --silent build
npx tsc -p tsconfig.json
exec node test/e2e/run-vscode.mjs "$@"
