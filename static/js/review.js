/* Review screen: set a quotation's span by selecting words in the source text.
   Progressive enhancement: without this script the Start/End fields are typed (the keyboard way). */
(function () {
  "use strict";
  var source = document.getElementById("source-text");
  var details = document.getElementById("source-details");
  if (!source) {
    return;
  }
  var selected = null; // the last selection inside the source text: {start, end}

  function offsetOf(node, offset) {
    var range = document.createRange();
    range.setStart(source, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function readSelection() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return;
    }
    var range = selection.getRangeAt(0);
    if (!source.contains(range.startContainer) || !source.contains(range.endContainer)) {
      return;
    }
    var text = source.textContent;
    var start = offsetOf(range.startContainer, range.startOffset);
    var end = offsetOf(range.endContainer, range.endOffset);
    while (start < end && /\s/.test(text.charAt(start))) {
      start += 1;
    }
    while (end > start && /\s/.test(text.charAt(end - 1))) {
      end -= 1;
    }
    if (start < end) {
      selected = { start: start, end: end, text: text.slice(start, end) };
    }
  }

  // A click on a button may clear the selection: remember it as it is made.
  document.addEventListener("selectionchange", readSelection);

  var items = document.querySelectorAll(".review-item[data-quotation]");
  Array.prototype.forEach.call(items, function (item) {
    var startField = item.querySelector("input[name$='-start']");
    var endField = item.querySelector("input[name$='-end']");
    if (!startField || !endField) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "use-selection";
    button.textContent = "Use the selected text";
    var status = document.createElement("span");
    status.className = "meta selection-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      if (!selected) {
        if (details) {
          details.open = true;
        }
        status.textContent = "First select the words in the source text below, then press this button again.";
        source.scrollIntoView({ block: "nearest" });
        return;
      }
      startField.value = selected.start;
      endField.value = selected.end;
      var preview = selected.text.length > 80 ? selected.text.slice(0, 77) + "..." : selected.text;
      status.textContent = "Span set to characters " + selected.start + "-" + selected.end + ": \u201c" + preview + "\u201d (save to keep it).";
    });
    endField.insertAdjacentElement("afterend", status);
    endField.insertAdjacentElement("afterend", button);
  });

  // After a refused save, the summary of problems takes the focus so it is read first.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
