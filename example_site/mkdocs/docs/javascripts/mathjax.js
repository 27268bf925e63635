// MathJax settings for pymdownx.arithmatex (generic mode), as Material documents them,
// plus MathJax's safe extension.
window.MathJax = {
  // ui/safe: whatever TeX a paper carries, MathJax makes no javascript: or data: links,
  // keeps only harmless styles (no position, width, height or display) and only its own
  // mjx- classes and ids. hotpapers already shows TeX using such commands as text: this
  // is the second line of defence.
  loader: { load: ["ui/safe"] },
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    // Only the math spans (class "arithmatex") are typeset: the rest of the page,
    // embedded posts (.hotpapers-embed, .hotpapers-card) included, is left alone.
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
