// After a refused POST, brings the keyboard and the screen reader to the summary of errors
// (an element with id="form-errors" and tabindex="-1"). A file, not inline: the site's CSP
// allows only its own scripts.
document.addEventListener("DOMContentLoaded", function () {
    "use strict";
    var box = document.getElementById("form-errors");
    if (box) {
        box.focus();
    }
});
