// Explainer behaviour on top of Material: see each section.
// Loaded as a file after Material's bundle (mkdocs.yml, extra_javascript): the
// Content-Security-Policy allows no inline script or handler. Nothing here
// knows which story is built.
(() => {
  "use strict";

  const shown = (element) =>
    element.getClientRects().length > 0 && getComputedStyle(element).visibility === "visible";

  // ---- The menu button ---------------------------------------------------
  // Material opens the navigation drawer with a <label for="__drawer">, which no
  // keyboard reaches. partials/header.html adds a hidden <button>: here it takes
  // the label's place, says whether the drawer is open (aria-expanded), opens it
  // with Enter or Space (a button's own keys) and moves focus into it; Escape,
  // or Tab out of the drawer, closes it, Escape giving focus back to the button.
  const drawer = document.getElementById("__drawer");
  const menuButton = document.querySelector(".explainer-menu-button");
  const menuLabel = document.querySelector(".explainer-menu-label");
  const sidebar = document.querySelector(".md-sidebar--primary");

  if (drawer instanceof HTMLInputElement && menuButton) {
    menuButton.hidden = false;
    if (menuLabel) menuLabel.hidden = true;
    if (sidebar) {
      if (!sidebar.id) sidebar.id = "explainer-navigation";
      menuButton.setAttribute("aria-controls", sidebar.id);
    }
    const showState = () => menuButton.setAttribute("aria-expanded", String(drawer.checked));
    // Material opens and closes the drawer by clicking its checkbox, as this does.
    drawer.addEventListener("change", showState);
    showState();

    menuButton.addEventListener("click", () => {
      drawer.click();
      if (drawer.checked && sidebar) {
        const first = [...sidebar.querySelectorAll("a[href], button, [tabindex='0']")].find(shown);
        if (first) first.focus();
      }
    });

    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && drawer.checked) {
        drawer.click();
        menuButton.focus();
      }
    });

    // Behind the open drawer the page is covered: focus leaving it closes it.
    if (sidebar) {
      sidebar.addEventListener("focusout", (event) => {
        const next = event.relatedTarget;
        if (drawer.checked && next instanceof Node && !sidebar.contains(next) && next !== menuButton) {
          drawer.click();
        }
      });
    }
  }

  // ---- The palette toggle from the keyboard ------------------------------
  // Material's toggle is a group of visually hidden radios, one per palette, each
  // followed by the label that switches to the next; a radio shows its focus on
  // that label. When the palette comes from the system setting, Material checks
  // no radio, so Tab lands on the first, whose label is hidden in the dark
  // palette: focus that cannot be seen. Checking the current one fixes that.
  // Material shows the current label once the page is ready, after this runs.
  const checkCurrentPalette = () => {
    for (const input of document.querySelectorAll("[data-md-component=palette] input.md-option")) {
      const label = input.nextElementSibling;
      if (label instanceof HTMLLabelElement && !label.hidden) input.checked = true;
    }
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", checkCurrentPalette);
  } else {
    checkCurrentPalette();
  }

  // ---- Definitions in place on touch screens -----------------------------
  // A link to a term (or any record) carries its short definition as a title,
  // which Material shows as a tooltip on hover or keyboard focus. A finger has
  // no hover: its tap went straight to the page. Now the first tap on such a
  // link shows the definition in place, with a link to the page; a second tap
  // on the link, or the link in it, goes there. A mouse or a keyboard works as
  // before. Links whose definition is written beside them (the glossary's own
  // list) are left alone.
  const definitions = new WeakMap();
  const words = (text) => text.replace(/\s+/g, " ").trim();
  for (const link of document.querySelectorAll("article a[href][title]")) {
    const href = link.getAttribute("href") || "";
    const text = words(link.title);
    if (!text || href.startsWith("#") || link.classList.contains("headerlink")) continue;
    const around = link.parentElement ? words(link.parentElement.textContent || "") : "";
    if (around.includes(text)) continue;
    definitions.set(link, text);
  }

  // Whether a click came from a finger or a stylus. Chromium says so on the
  // click itself; elsewhere the pointerdown just before it does. A click from
  // the keyboard (Enter) has no pointer and a detail of 0.
  let lastPointer = { type: "", time: -Infinity };
  document.addEventListener(
    "pointerdown",
    (event) => {
      lastPointer = { type: event.pointerType, time: event.timeStamp };
    },
    true,
  );
  const byTouch = (event) => {
    if (event.detail === 0) return false;
    const recent = event.timeStamp - lastPointer.time < 1500 ? lastPointer.type : "";
    const type = event.pointerType || recent;
    return type === "touch" || type === "pen";
  };

  const popover = document.createElement("div");
  popover.className = "explainer-definition";
  popover.id = "explainer-definition";
  popover.setAttribute("role", "dialog");
  popover.tabIndex = -1;
  popover.hidden = true;
  const definition = document.createElement("p");
  const more = document.createElement("a");
  const moreLine = document.createElement("p");
  moreLine.append(more);
  const closer = document.createElement("button");
  closer.type = "button";
  closer.setAttribute("aria-label", "Close");
  closer.textContent = "\u00d7";
  popover.append(definition, moreLine, closer);

  let owner = null;

  const place = (rect) => {
    const root = document.documentElement;
    const margin = parseFloat(getComputedStyle(root).fontSize) * 0.8;
    const width = popover.offsetWidth;
    const height = popover.offsetHeight;
    const left = Math.max(
      margin,
      Math.min(rect.left + rect.width / 2 - width / 2, root.clientWidth - margin - width),
    );
    let top = rect.bottom + 8;
    if (top + height > window.innerHeight && rect.top - 8 - height >= 0) top = rect.top - 8 - height;
    const body = document.body.getBoundingClientRect();
    popover.style.left = `${left - body.left}px`;
    popover.style.top = `${top - body.top}px`;
  };

  const rectOf = (link, x, y) => {
    const rects = [...link.getClientRects()];
    return (
      rects.find((r) => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom) ||
      rects[0] ||
      link.getBoundingClientRect()
    );
  };

  const show = (link, x, y) => {
    close(false);
    owner = link;
    const name = words(link.textContent || "");
    definition.textContent = definitions.get(link);
    more.href = link.href;
    more.textContent = `More about ${name}`;
    popover.setAttribute("aria-label", name);
    if (!popover.isConnected) document.body.append(popover);
    popover.hidden = false;
    document.body.classList.add("explainer-definition-open");
    link.setAttribute("aria-expanded", "true");
    link.setAttribute("aria-controls", popover.id);
    place(rectOf(link, x, y));
    popover.focus({ preventScroll: true });
  };

  // Closing gives focus back to the link when it was in the definition. The
  // link's own tooltip (Material's, on focus) stays quiet until focus moves on.
  function close(giveFocusBack) {
    if (!owner) return;
    const link = owner;
    const hadFocus = popover.contains(document.activeElement);
    owner = null;
    popover.hidden = true;
    link.removeAttribute("aria-expanded");
    link.removeAttribute("aria-controls");
    if (giveFocusBack && hadFocus) {
      link.focus({ preventScroll: true });
      link.addEventListener(
        "blur",
        () => document.body.classList.remove("explainer-definition-open"),
        { once: true },
      );
    } else {
      document.body.classList.remove("explainer-definition-open");
    }
  }

  document.addEventListener(
    "click",
    (event) => {
      const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!link || !definitions.has(link)) return;
      if (link === owner) {
        close(false); // the second tap: on to the page
        return;
      }
      if (!byTouch(event) || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      show(link, event.clientX, event.clientY);
    },
    true,
  );

  closer.addEventListener("click", () => close(true));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && owner) close(true);
  });
  // A tap anywhere else puts it away.
  document.addEventListener(
    "pointerdown",
    (event) => {
      if (owner && event.target instanceof Node && !popover.contains(event.target)) {
        if (!owner.contains(event.target)) close(false);
      }
    },
    true,
  );
  window.addEventListener("resize", () => {
    if (owner) place(owner.getBoundingClientRect());
  });

  // ---- Full addresses on paper ---------------------------------------------
  // When the site has an address, overrides/main.html puts it on the print-only
  // header; each link of the article's text (not in figures or tables, where it
  // would crowd the words) then gets the full address it prints after it, once
  // per page. Without an address nothing is printed: a relative path means
  // nothing on paper.
  const printHeader = document.querySelector(".explainer-print[data-address]");
  if (printHeader) {
    const base = printHeader.getAttribute("data-address");
    const seen = new Set();
    for (const link of document.querySelectorAll("article a[href]")) {
      const href = link.getAttribute("href");
      if (/^(#|[a-z][a-z0-9+.-]*:)/i.test(href) || link.closest("figure, table")) continue;
      const full = new URL(href, base).href;
      if (!seen.has(full)) link.setAttribute("data-print-href", full);
      seen.add(full);
    }
  }
})();
