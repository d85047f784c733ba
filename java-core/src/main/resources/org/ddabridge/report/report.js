// DdaBridge report: sorting, filtering, the target switch and the details panel. The page is complete
// without this script; it only adds interaction. No network: the page's CSP forbids every fetch.
(function () {
  'use strict';
  function cellValue(row, i) {
    var c = row.cells[i];
    if (!c) { return ''; }
    var s = c.getAttribute('data-sort');
    return s !== null ? s : c.textContent.trim();
  }
  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    if (a !== '' && b !== '' && !isNaN(x) && !isNaN(y) && String(x) === a && String(y) === b) { return x - y; }
    return a.localeCompare(b, undefined, { numeric: true });
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, i) {
      th.addEventListener('click', function () {
        var desc = th.classList.contains('asc');
        Array.prototype.forEach.call(heads, function (h) { h.classList.remove('asc', 'desc'); });
        th.classList.add(desc ? 'desc' : 'asc');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) { var d = compare(cellValue(r1, i), cellValue(r2, i)); return desc ? -d : d; });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  document.querySelectorAll('section.host').forEach(function (section) {
    var table = section.querySelector('table.devices');
    var text = section.querySelector('input.filter');
    var verdict = section.querySelector('select.vfilter');
    var shown = section.querySelector('.shown');
    function applyFilter() {
      var q = text.value.toLowerCase(), v = verdict.value, n = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        var ok = (!q || r.textContent.toLowerCase().indexOf(q) >= 0) && (!v || r.getAttribute('data-v') === v);
        r.hidden = !ok;
        if (ok) { n++; }
      });
      shown.textContent = n + ' of ' + table.tBodies[0].rows.length + ' shown';
    }
    if (table && text && verdict) {
      text.addEventListener('input', applyFilter);
      verdict.addEventListener('change', applyFilter);
      applyFilter();
    }
    var target = section.querySelector('select.target');
    if (target) {
      target.addEventListener('change', function () {
        var t = target.value;
        section.querySelectorAll('svg .fn').forEach(function (g) {
          var v = (t && g.getAttribute('data-v-' + t)) || g.getAttribute('data-v');
          g.classList.remove('v-Assignable', 'v-AssignableWithWarnings', 'v-NotAssignable', 'v-Unknown');
          g.classList.add(/^(Assignable|AssignableWithWarnings|NotAssignable)$/.test(v) ? 'v-' + v : 'v-Unknown');
        });
      });
    }
    var panel = section.querySelector('aside.panel');
    section.querySelectorAll('svg a.fnlink').forEach(function (a) {
      a.addEventListener('click', function (ev) {
        var id = (a.getAttribute('href') || '').slice(1);
        var details = document.getElementById(id);
        if (!panel || !details) { return; }
        ev.preventDefault();
        section.querySelectorAll('svg .fn.selected').forEach(function (g) { g.classList.remove('selected'); });
        a.querySelector('.fn').classList.add('selected');
        panel.hidden = false;
        panel.innerHTML = '';
        var close = document.createElement('button');
        close.className = 'close';
        close.textContent = '\u2715';
        close.title = 'close';
        close.addEventListener('click', function () { panel.hidden = true; });
        var head = document.createElement('div');
        head.innerHTML = details.querySelector('summary').innerHTML;
        var link = document.createElement('a');
        link.href = '#' + id;
        link.textContent = 'open in the list';
        link.addEventListener('click', function () { details.open = true; });
        panel.appendChild(close);
        panel.appendChild(head);
        panel.appendChild(details.querySelector('.body').cloneNode(true));
        panel.appendChild(link);
      });
    });
  });
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.tagName === 'DETAILS') { el.open = true; }
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  });
}());
