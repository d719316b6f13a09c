# OkrKpi — the commands a newcomer needs. Everything they use is installed by the .NET SDK, NuGet and npm
# (the contract checks' pinned Node tools; `make tools`).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 5080
DB   ?= data/okrkpi.db
DEMO ?= 1
CONFIGURATION ?= Release

export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

demo_flag = $(if $(filter 1 true yes,$(DEMO)),true,false)
db_settings = --Database:Provider=sqlite "--ConnectionStrings:OkrKpi=Data Source=$(abspath $(DB))"

.PHONY: help build run migrate test test-unit test-integration test-sqlserver openapi clean tools

# Node tools the contract tests run (Spectral, the TypeScript client check), each pinned by its package-lock.json.
NODE_TOOLS := tests/Spectral tests/TypedClients/typescript

help:
	@echo "make run [PORT=5080] [DB=data/okrkpi.db] [DEMO=1]  serve the API (and demo organisation) on 127.0.0.1"
	@echo "make test                 every test (unit + integration on SQLite), ending in 'N passed, N failed'"
	@echo "make test-sqlserver       the integration suite on SQL Server (needs OKRKPI_TEST_SQLSERVER)"
	@echo "make openapi              regenerate openapi.yaml from the running code"
	@echo "make tools                install the Node tools the contract tests run (npm ci) and jq"
	@echo "make migrate [DB=...]     apply database migrations and stop"
	@echo "make bench [BENCH_ROWS=1000000] [BENCH_ONLY=B1,B5,B6,B7,B10]  performance suite vs same-run references -> artifacts/bench/results.md"

build:
	dotnet build OkrKpi.sln -c $(CONFIGURATION)

run:
	dotnet run --project api/Api.csproj -c $(CONFIGURATION) -- --urls http://127.0.0.1:$(PORT) $(db_settings) --Demo:Enabled=$(demo_flag)

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
	@set -o pipefail; dotnet test OkrKpi.sln 2>&1 | tee artifacts/test.log; status=$$?; \
		.ci/test-summary artifacts/test.log; summary=$$?; \
		exit $$(( status != 0 ? status : summary ))

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
	rm -rf artifacts

# Performance suite: publishes the API, the HelloWorld reference app and the runner in Release, then measures each
# scenario side by side with a reference taken in the same run. Exit code 0 even when a target fails (a measurement).
BENCH_ROWS ?= 1000000
BENCH_ONLY ?=
.PHONY: bench
bench:
	@command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }
	@command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl; }
	dotnet publish api/Api.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o artifacts/bench/api --nologo -v q
	dotnet publish tests/Benchmarks/HelloWorld/HelloWorld.csproj -c Release -o artifacts/bench/hello --nologo -v q
	dotnet publish tests/Benchmarks/Benchmarks.csproj -c Release -o artifacts/bench/runner --nologo -v q
	dotnet artifacts/bench/runner/Benchmarks.dll --rows $(BENCH_ROWS) $(if $(BENCH_ONLY),--only $(BENCH_ONLY)) --out artifacts/bench
