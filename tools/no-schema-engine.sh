#!/bin/sh
echo "Sourceline migrations are plain SQL in migrations/ (apply with: pnpm sourceline migrate); Prisma's schema engine is not used." >&2
exit 1
