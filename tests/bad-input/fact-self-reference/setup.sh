# A fact that uses itself.
cat >> content/site.yaml <<'YAML'
  motto: "{{ motto }} and more"
YAML
