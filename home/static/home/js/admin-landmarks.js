// Wagtail's dashboard has two search forms (the sidebar's and its own) without a name: two
// identical landmarks for screen reader users (WCAG 1.3.1, axe « landmark-unique »). Each
// unnamed one is named after its own box's placeholder, already translated by Wagtail
// (« Rechercher… », « Rechercher toutes les pages… »).
(function () {
    "use strict";
    var selector = 'form[role="search"]:not([aria-label]):not([aria-labelledby])';
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (form) {
        var input = form.querySelector("input[placeholder]");
        var name = input ? input.getAttribute("placeholder").replace(/[.…\s]+$/, "") : "";
        if (name) {
            form.setAttribute("aria-label", name);
        }
    });
})();
