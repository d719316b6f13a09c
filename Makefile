# OkrKpi — the commands a newcomer needs. Everything they use is installed by the .NET SDK, NuGet and npm
# (the contract checks' pinned Node tools, `make tools`; the browser client needs Node.js 20.19+, and its browser
# tests drive Debian's chromium, which .ci/run installs).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 5080
DEV_PORT ?= 5173
DB   ?= data/okrkpi.db
DEMO ?= 1
CONFIGURATION ?= Release

export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

# The browser client (rules at the end). npm ci runs again only when the lockfile changed; the build only when a
# source, a config file or the generated API types changed (the stamp records the last build).
CLIENT_DEPS := client/node_modules/.package-lock.json
CLIENT_API := client/src/lib/api/schema.d.ts
CLIENT_DIST := client/dist/.stamp
CLIENT_SOURCES := $(shell find client/src client/public -type f 2>/dev/null) client/index.html client/vite.config.ts \
	$(wildcard client/tsconfig*.json) client/package.json

demo_flag = $(if $(filter 1 true yes,$(DEMO)),true,false)
db_settings = --Database:Provider=sqlite "--ConnectionStrings:OkrKpi=Data Source=$(abspath $(DB))"

.PHONY: help build run dev migrate test test-unit test-integration test-client test-client-unit test-client-e2e client-api test-sqlserver openapi clean tools

# Node tools the contract tests run (Spectral, the TypeScript client check), each pinned by its package-lock.json.
NODE_TOOLS := tests/Spectral tests/TypedClients/typescript

help:
	@echo "make run [PORT=5080] [DB=data/okrkpi.db] [DEMO=1]  the whole product (API + browser client, demo organisation) on http://127.0.0.1:5080/"
	@echo "make dev [PORT=5080] [DEV_PORT=5173]  the API plus Vite's dev server (hot reload) on http://127.0.0.1:5173/, proxying /api"
	@echo "make test                 every test (.NET unit + integration on SQLite, Vitest, Playwright), ending in 'N passed, N failed'"
	@echo "make test-client          the client's tests only: type check, Vitest, then Playwright against the real API"
	@echo "make client-api           regenerate client/src/lib/api/schema.d.ts from openapi.yaml"
	@echo "make test-sqlserver       the integration suite on SQL Server (needs OKRKPI_TEST_SQLSERVER)"
	@echo "make openapi              regenerate openapi.yaml from the running code"
	@echo "make tools                install the Node tools the contract tests run (npm ci) and jq"
	@echo "make migrate [DB=...]     apply database migrations and stop"
	@echo "make bench [BENCH_ROWS=1000000] [BENCH_ONLY=B1,B5,B6,B7,B10,B11,B12,B13]  performance suite vs same-run references -> artifacts/bench/results.md"

build:
	dotnet build OkrKpi.sln -c $(CONFIGURATION)

run: $(CLIENT_API) $(CLIENT_DIST)
	dotnet run --project api/Api.csproj -c $(CONFIGURATION) -- --urls http://127.0.0.1:$(PORT) $(db_settings) --Demo:Enabled=$(demo_flag) \
		--Client:DistPath=$(abspath client/dist)

# The API and Vite's dev server side by side; Ctrl+C stops both (they share this recipe's process group).
dev: $(CLIENT_API) $(CLIENT_DEPS)
	@trap 'kill 0' EXIT INT TERM; \
	dotnet run --project api/Api.csproj -c Debug -- --urls http://127.0.0.1:$(PORT) $(db_settings) --Demo:Enabled=$(demo_flag) & \
	cd client && OKRKPI_API=http://127.0.0.1:$(PORT) npx vite --port $(DEV_PORT) --strictPort

migrate:
	dotnet run --project api/Api.csproj -c $(CONFIGURATION) -- $(db_settings) --MigrateOnly=true

# Installs what the tests need beyond the .NET SDK: the Node tools (again only when a lock file changed) and jq, which the
# README's examples use. Debian packages only when missing, as root (CI); otherwise it says what to install.
tools:
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm; }
	@command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq; }
	@for dir in $(NODE_TOOLS); do \
		if [ ! -f $$dir/node_modules/.package-lock.json ] || [ $$dir/package-lock.json -nt $$dir/node_modules/.package-lock.json ]; then \
			npm ci --prefix $$dir --no-audit --no-fund --ignore-scripts --loglevel=error || exit 1; \
		fi; \
	done

test: tools
	@mkdir -p artifacts
	@rm -f artifacts/vitest.json artifacts/playwright.json
	@set -o pipefail; dotnet test OkrKpi.sln 2>&1 | tee artifacts/test.log; status=$$?; \
		$(MAKE) --no-print-directory test-client; client=$$?; \
		.ci/test-summary artifacts/test.log artifacts/vitest.json artifacts/playwright.json; summary=$$?; \
		exit $$(( status != 0 ? status : client != 0 ? client : summary ))

# Unit tests first (one of them checks that the committed API types match openapi.yaml), then the build the browser
# tests serve, then Playwright: it starts the API on a free port with a throw-away database (client/e2e/global-setup.ts).
test-client: test-client-unit
	@$(MAKE) --no-print-directory test-client-e2e

test-client-unit: $(CLIENT_DEPS)
	@mkdir -p artifacts
	cd client && npx tsc -b && npx vitest run --reporter=default --reporter=json --outputFile.json=../artifacts/vitest.json

test-client-e2e: $(CLIENT_DIST)
	@mkdir -p artifacts
	@command -v $${CHROMIUM_PATH:-/usr/bin/chromium} >/dev/null || { echo "The browser tests need Chromium at $${CHROMIUM_PATH:-/usr/bin/chromium} (apt-get install -y chromium, or set CHROMIUM_PATH)."; exit 1; }
	cd client && E2E_JSON_REPORT=../artifacts/playwright.json npx playwright test

test-unit:
	dotnet test tests/Api.UnitTests

test-integration:
	dotnet test tests/Api.IntegrationTests

test-sqlserver:
	@if [ -z "$$OKRKPI_TEST_SQLSERVER" ]; then \
		echo "SKIPPED: test-sqlserver needs OKRKPI_TEST_SQLSERVER to hold a SQL Server connection string (a database of its own is created there)."; \
	else \
		mkdir -p artifacts; set -o pipefail; dotnet test tests/Api.IntegrationTests 2>&1 | tee artifacts/test-sqlserver.log; status=$$?; \
		.ci/test-summary artifacts/test-sqlserver.log; summary=$$?; exit $$(( status != 0 ? status : summary )); \
	fi

openapi:
	OKRKPI_UPDATE_OPENAPI=1 dotnet test tests/Api.IntegrationTests --filter "FullyQualifiedName~OpenApiDocumentTests.The_committed_openapi_yaml_is_the_served_document"
	@git diff --stat -- openapi.yaml || true

clean:
	dotnet clean OkrKpi.sln
	rm -rf artifacts client/dist client/node_modules/.tmp


$(CLIENT_DEPS): client/package.json client/package-lock.json
	@command -v npm >/dev/null || { echo "The browser client needs Node.js 20.19+ with npm (https://nodejs.org)."; exit 1; }
	cd client && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# make run and make dev keep the API types in step with openapi.yaml; make test does not regenerate them before its
# unit tests, so a stale committed file fails there.
$(CLIENT_API): openapi.yaml | $(CLIENT_DEPS)
	cd client && npm run gen:api

client-api: $(CLIENT_DEPS)
	cd client && npm run gen:api

$(CLIENT_DIST): $(CLIENT_SOURCES) $(CLIENT_DEPS)
	cd client && npm run build
	@touch $@

# Performance suite: publishes the API, the HelloWorld reference app and the runner in Release, then measures each
# scenario side by side with a reference taken in the same run. Exit code 0 even when a target fails (a measurement).
BENCH_ROWS ?= 1000000
BENCH_ONLY ?=
.PHONY: bench
bench: $(CLIENT_DIST)
	@command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }
	@command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl; }
	@[ -n "$${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ] || apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }
	dotnet publish api/Api.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o artifacts/bench/api --nologo -v q
	dotnet publish tests/Benchmarks/HelloWorld/HelloWorld.csproj -c Release -o artifacts/bench/hello --nologo -v q
	dotnet publish tests/Benchmarks/Benchmarks.csproj -c Release -o artifacts/bench/runner --nologo -v q
	dotnet artifacts/bench/runner/Benchmarks.dll --rows $(BENCH_ROWS) $(if $(BENCH_ONLY),--only $(BENCH_ONLY)) --out artifacts/bench --client $(abspath client)
