// MathJax settings for pymdownx.arithmatex (generic mode), as Material documents them.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
  },
};

document$.subscribe(() => {
  // Until MathJax has loaded (or when it cannot be loaded, offline), window.MathJax
  // is still the settings object above: nothing to typeset yet.
  if (!window.MathJax || typeof MathJax.typesetPromise !== "function") return;
  MathJax.startup.output.clearCache();
  MathJax.typesetClear();
  MathJax.texReset();
  MathJax.typesetPromise();
});
