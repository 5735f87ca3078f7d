# The Spanish (and any other) interface catalogue. Needs Babel: pip install -e '.[test]'
LOCALE := src/backplan/locale
POT := $(LOCALE)/backplan.pot

.PHONY: extract update compile init

extract:
	pybabel extract -F babel.cfg --no-location --sort-output -w 100 -k _ -k N_ -k gettext -k ngettext:1,2 \
		--project backplan --copyright-holder "The backplan developers" \
		-o $(POT) src/ templates/

update: extract
	pybabel update -i $(POT) -d $(LOCALE) -D backplan --no-fuzzy-matching -w 100

compile:
	pybabel compile -d $(LOCALE) -D backplan --statistics

init: extract
	pybabel init -i $(POT) -d $(LOCALE) -D backplan -l $(LANG)
