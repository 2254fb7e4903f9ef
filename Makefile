# Borderlink: `make demo` runs a node with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
LOCALES := vi lo km en

.PHONY: demo test test-postgres typecheck lint install messages makemessages system-deps report-deps browser-deps clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	@echo "Installing Borderlink and its dependencies into $(VENV) (a few minutes the first time)..."
	@$(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install --quiet --upgrade pip
	@# compat: a plain .pth entry for the checkout (setuptools' default finder mode prints an "Editable installation" warning)
	@$(VENV)/bin/pip install --quiet --config-settings editable_mode=compat -e '.[test]'
	@touch $(STAMP)

install: report-deps $(STAMP)

# Debian libraries WeasyPrint (the year-end review's PDF) loads at run time, installed when missing.
report-deps:
	@if ! ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || ! ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so.0"; then \
	  echo "installing Debian packages: libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null; \
	fi

# Debian packages the build and the tests need, installed when missing: gettext, chromium (browser tests),
# Noto fonts, pango and harfbuzz-subset (WeasyPrint, the review's PDF), poppler-utils (pdftoppm, its page test).
system-deps: report-deps
	@missing=""; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans Lao" || missing="$$missing fonts-noto-core"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

messages: $(STAMP)
	@command -v msgfmt >/dev/null 2>&1 || $(MAKE) system-deps
	@BORDERLINK_DEBUG=1 $(PY) manage.py compilemessages --verbosity 0 --ignore=.venv --ignore=var

# For developers: refresh the catalogs after changing strings (then translate and `make messages`).
makemessages: $(STAMP)
	mkdir -p borderlink/locale && cd borderlink && BORDERLINK_DEBUG=1 ../$(PY) ../manage.py makemessages --no-obsolete --no-location $(foreach l,$(LOCALES),-l $(l)) --ignore 'names/*'

demo: $(STAMP) report-deps messages
	@./scripts/demo.sh

# axe-core (pinned in tests/browser/package.json), injected into pages by the browser tests.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed for the accessibility check (Debian: apt-get install npm)"; exit 1; }
	@npm ci --prefix tests/browser --silent --no-audit --no-fund
	@touch $(AXE)

browser-deps: $(AXE)

# Two workers (pytest-xdist): the suite holds about 3,500 tests, many of them real multi-node ones.
PYTEST_WORKERS ?= 2

test: $(STAMP) system-deps messages browser-deps
	$(MAKE) lint
	$(PY) -m pytest -n $(PYTEST_WORKERS)
	$(MAKE) typecheck

# ruff with the rule set in pyproject.toml (part of `make test`).
lint: $(STAMP)
	$(VENV)/bin/ruff check .

# mypy with django-stubs over the whole package (part of `make test`).
typecheck: $(STAMP)
	BORDERLINK_DEBUG=1 $(VENV)/bin/mypy borderlink

# The same suite against PostgreSQL (DATABASE_URL, default: the CI server), with the same workers: pytest-django
# gives each worker its own test database (test_<name>_gw0, ...) and the federation harness names the nodes'
# databases by process. Run serially, this pass alone took about an hour of CI's 90 minutes.
test-postgres: $(STAMP) system-deps messages browser-deps
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} BORDERLINK_REQUIRE_DB=postgres $(PY) -m pytest -n $(PYTEST_WORKERS)

clean:
	rm -rf $(VENV) var .pytest_cache
