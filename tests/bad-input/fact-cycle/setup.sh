# Three facts that refer to each other in a loop (a -> b -> c -> a).
cat >> content/site.yaml <<'YAML'
  loop:
    a: "see {{ loop.b }}"
    b: "see {{ loop.c }}"
    c: "see {{ loop.a }}"
YAML
