# A per-language fact that lacks the French text.
cat >> content/site.yaml <<'YAML'
  hours2:
    en: "9 to 5"
    fr:
YAML
