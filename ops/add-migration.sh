#!/usr/bin/env bash
# Adds a migration with the same name to both providers' migrations projects.
# Usage: ops/add-migration.sh <Name>
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: ops/add-migration.sh <MigrationName>}
dotnet tool restore >/dev/null
for provider in Sqlite PostgreSql; do
  dotnet ef migrations add "$name" \
    --project "src/AnnualCycle.Migrations.$provider" \
    --startup-project "src/AnnualCycle.Migrations.$provider" \
    --context AnnualCycleDbContext --output-dir Migrations
done
