/* Deferred sections (ui.components.deferred): a section's layout is drawn only once the section comes within
   300 px of the viewport, or its tab is opened (a hidden tab pane does not intersect). Charts and grids below the
   fold then cost the browser nothing until the user scrolls to them. */
(function () {
  "use strict";
  if (!("IntersectionObserver" in window)) { return; }
  function reveal(element) {
    if (!window.dash_clientside || !window.dash_clientside.set_props) { return false; }
    window.dash_clientside.set_props({type: "deferred-seen", section: element.getAttribute("data-section")},
                                     {data: true});
    return true;
  }
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting && reveal(entry.target)) { observer.unobserve(entry.target); }
    });
  }, {rootMargin: "300px 0px"});
  function watch() {
    document.querySelectorAll(".deferred-section:not([data-watched])").forEach(function (element) {
      element.setAttribute("data-watched", "1");
      observer.observe(element);
    });
  }
  new MutationObserver(watch).observe(document.documentElement, {childList: true, subtree: true});
})();
