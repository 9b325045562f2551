# A fact in site.yaml that uses a fact that does not exist (typo).
cat >> content/site.yaml <<'YAML'
  welcome: "{{ orgg }} says hello"
YAML
