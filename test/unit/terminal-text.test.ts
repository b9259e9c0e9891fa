// escapeControl: what a hostile file or server could make a terminal do is shown, never done.

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { displayText, escapeControl } from '../../server/src/shared/terminalText';
import { redact } from '../../server/src/shared/redact';

describe('escapeControl', () => {
  it('shows ESC, BEL, CR, BS and DEL as visible escapes', () => {
    assert.equal(escapeControl('a\u001b[2Jb\u0007c\rd\be\u007f'), 'a\\x1b[2Jb\\x07c\\x0dd\\x08e\\x7f');
  });

  it('neutralises an OSC 8 hyperlink and a C1 CSI', () => {
    const osc8 = '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\';
    const out = escapeControl(osc8);
    assert.ok(!/[\u0000-\u001f\u007f-\u009f]/.test(out), out);
    assert.equal(out, '\\x1b]8;;https://evil.example\\x1b\\click\\x1b]8;;\\x1b\\');
    assert.equal(escapeControl('x\u009b31my'), 'x\\x9b31my');
  });

  it('shows bidirectional overrides and line separators', () => {
    assert.equal(escapeControl('admin\u202egnp.exe'), 'admin\\u202egnp.exe');
    assert.equal(escapeControl('a\u2028b\u2066c'), 'a\\u2028b\\u2066c');
  });

  it('escapes line feeds unless asked to keep them; a CR is escaped either way', () => {
    assert.equal(escapeControl('one\ntwo'), 'one\\x0atwo');
    assert.equal(escapeControl('one\ntwo\r\n', { keepNewlines: true }), 'one\ntwo\\x0d\n');
  });

  it('leaves ordinary text, tabs and non-ASCII letters alone (the same string back)', () => {
    const text = 'datadog.yaml:3:5 error agent/org-uuid-invalid `org_uuid` "é日本"\tok';
    assert.equal(escapeControl(text), text);
  });

  it('is linear: a megabyte of controls is escaped in one pass', () => {
    const big = '\u001b'.repeat(1 << 20);
    const out = escapeControl(big);
    assert.equal(out.length, 4 << 20);
  });
});

describe('displayText', () => {
  const key = '5f3c9a1e7b2d4c6e8a0f1b3d5e7c9a2b';

  it('redacts before it escapes: an escape next to a key does not hide the key', () => {
    const text = `site: \u001b${key}`;
    assert.ok(redact(escapeControl(text)).includes(key), 'the other order leaks the key (the premise of this test)');
    const shown = displayText(text);
    assert.ok(!shown.includes(key.slice(0, 20)), shown);
    assert.match(shown, /^site: \\x1b\[redacted …9a2b\]$/);
  });

  it('keeps line feeds only when asked', () => {
    assert.equal(displayText('a\nb\rc'), 'a\\x0ab\\x0dc');
    assert.equal(displayText('a\nb\rc', { keepNewlines: true }), 'a\nb\\x0dc');
  });
});
