# Adloom: `make run` starts it, `make test` runs every test. Both install what they need first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench lint browser fonts soundfont clean

$(STAMP): pyproject.toml
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "Installing python3-venv (Debian's venv module)…"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP) fonts soundfont
	$(BIN)/adloom serve

# Jingles sound best with Debian's FluidR3_GM bank (MIT); where apt is absent (or the install
# fails) they fall back to the TimGM6mb bank bundled with pretty_midi, so this never stops a run.
soundfont:
	@[ -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ] || ! command -v apt-get >/dev/null 2>&1 || { \
	  echo "Installing Debian's fluid-soundfont-gm (the jingles' instrument bank)…"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq fluid-soundfont-gm \
	  || echo "fluid-soundfont-gm not installed: jingles use the bundled TimGM6mb bank"; }

# The browser tests drive Debian's chromium with Playwright; install it when it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests…"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

# Japanese, Chinese and Korean fallback glyphs (Apache-2.0): Debian's fonts-droid-fallback.
# Without it (no apt) those characters render as boxes and `adloom doctor` warns.
fonts:
	@[ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || ! command -v apt-get >/dev/null 2>&1 || { \
	  echo "Installing Debian's fonts-droid-fallback (CJK fallback glyphs)…"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq fonts-droid-fallback; }

test: $(STAMP) browser fonts soundfont
	$(BIN)/ruff check src tests
	$(BIN)/mypy --strict src
	$(BIN)/pytest

bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy --strict src

clean:
	rm -rf $(VENV) data .pytest_cache
