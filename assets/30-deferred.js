/* Deferred sections (ui.components.deferred): a section's layout is drawn only once the section comes into view,
   or its tab is opened (a hidden tab pane does not intersect). When a page opens, only what is on the screen is
   drawn; once the reader scrolls, sections are drawn 300 px before they come into view, so that they are
   usually ready when they get there. Charts and grids below the fold then cost the browser nothing until the
   reader scrolls to them. */
(function () {
  "use strict";
  if (!("IntersectionObserver" in window)) { return; }
  function reveal(element) {
    if (!window.dash_clientside || !window.dash_clientside.set_props) { return false; }
    element.setAttribute("data-revealed", "1");
    window.dash_clientside.set_props({type: "deferred-seen", section: element.getAttribute("data-section")},
                                     {data: true});
    return true;
  }
  function observer(margin) {
    var made = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting && reveal(entry.target)) { made.unobserve(entry.target); }
      });
    }, {rootMargin: margin});
    return made;
  }
  var onScreen = observer("0px 0px");
  var ahead = observer("300px 0px");
  var scrolled = false;
  window.addEventListener("scroll", function () {
    if (scrolled) { return; }
    scrolled = true;
    document.querySelectorAll(".deferred-section[data-watched]:not([data-revealed])").forEach(function (element) {
      onScreen.unobserve(element);
      ahead.observe(element);
    });
  }, {passive: true});
  function watch() {
    document.querySelectorAll(".deferred-section:not([data-watched])").forEach(function (element) {
      element.setAttribute("data-watched", "1");
      (scrolled ? ahead : onScreen).observe(element);
    });
  }
  new MutationObserver(watch).observe(document.documentElement, {childList: true, subtree: true});
})();
