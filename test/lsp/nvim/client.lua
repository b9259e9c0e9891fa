-- Headless Neovim as a real LSP client for the Datadog WIF language server.
--
-- Driven by run-nvim.mjs, which writes a JSON job description and starts
--   nvim --headless --clean -n -i NONE -u client.lua
-- (Debian bookworm ships Neovim 0.7, which has no `-l script.lua`; a config
-- file given with -u runs just the same.)
--
-- Job ($DD_WIF_NVIM_JOB, JSON):
--   cmd               server command line, e.g. ["node", "/abs/dist/server.js", "--stdio"]
--   file              absolute path of the document to open
--   root              workspace root sent to the server
--   hovers            [{line, character}] zero-based positions to hover, in order
--   codeActions       true: ask textDocument/codeAction for the first diagnostic
--   codeLens          true: then ask textDocument/codeLens for the document
--   diagnosticsWaitMs how long to wait for a non-empty publishDiagnostics
--   timeoutMs         hard limit for the whole job
--   settings          answers to workspace/configuration (optional)
--   out               where to write the result
-- Result (JSON): { diagnostics, diagnosticsTimedOut, hovers = [{position, result, error}],
--                  codeActions, codeLenses, serverInfo, nvim, ms } or { error = "..." }.

local job = vim.fn.json_decode(table.concat(vim.fn.readfile(assert(os.getenv('DD_WIF_NVIM_JOB'))), '\n'))
local started = vim.loop.hrtime()
local function elapsed_ms() return math.floor((vim.loop.hrtime() - started) / 1e6) end

local finished = false
local function finish(result)
  if finished then return end
  finished = true
  result.ms = elapsed_ms()
  result.nvim = tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch
  vim.fn.writefile({ vim.fn.json_encode(result) }, job.out)
  -- qall! runs Neovim's exit handler, which sends shutdown/exit to the server.
  vim.cmd(result.error and 'cquit!' or 'qall!')
end
local function fail(message) finish({ error = message }) end

-- Any Lua error below must still produce a result file, not a hung editor.
local function guarded(fn)
  return function(...)
    local ok, err = pcall(fn, ...)
    if not ok then fail('client.lua: ' .. tostring(err)) end
  end
end

vim.cmd('edit ' .. vim.fn.fnameescape(job.file))
local bufnr = vim.api.nvim_get_current_buf()
local uri = vim.uri_from_bufnr(bufnr)
local target = vim.loop.fs_realpath(job.file) or job.file

local result = { diagnostics = {}, diagnosticsTimedOut = false, hovers = {}, codeActions = vim.NIL }
local client -- set once start_client returns
local phase = 'waiting-for-diagnostics'

-- Step 4: code lenses (the Test Login lenses), then done.
local function request_code_lenses()
  if not job.codeLens then return finish(result) end
  client.request('textDocument/codeLens', { textDocument = { uri = uri } }, guarded(function(err, lenses)
    if err then result.codeLensError = err.message or vim.inspect(err) end
    result.codeLenses = lenses or {}
    finish(result)
  end), bufnr)
end

-- Step 3: code actions for the first diagnostic.
local function request_code_actions()
  local first = result.diagnostics[1]
  if not job.codeActions or not first then return request_code_lenses() end
  local params = {
    textDocument = { uri = uri },
    range = first.range,
    context = { diagnostics = { first } },
  }
  client.request('textDocument/codeAction', params, guarded(function(err, actions)
    if err then result.codeActionsError = err.message or vim.inspect(err) end
    result.codeActions = actions or {}
    request_code_lenses()
  end), bufnr)
end

-- Step 2: hovers, one after the other, in the order given.
local function request_hovers(i)
  local positions = job.hovers or {}
  if i > #positions then return request_code_actions() end
  local position = positions[i]
  local params = { textDocument = { uri = uri }, position = position }
  client.request('textDocument/hover', params, guarded(function(err, hover)
    table.insert(result.hovers, {
      position = position,
      result = hover == nil and vim.NIL or hover,
      error = err and (err.message or vim.inspect(err)) or vim.NIL,
    })
    request_hovers(i + 1)
  end), bufnr)
end

local initialized = false
local function after_diagnostics(timed_out)
  if phase ~= 'waiting-for-diagnostics' then return end
  if not initialized then
    return fail('language server did not answer initialize within ' .. job.diagnosticsWaitMs .. ' ms')
  end
  phase = 'requests'
  result.diagnosticsTimedOut = timed_out
  request_hovers(1)
end

-- Step 1: wait for the first non-empty publishDiagnostics for our file.
local function on_diagnostics(err, params, ctx, config)
  -- Keep Neovim's own handling (signs, virtual text): it is what users see.
  vim.lsp.handlers['textDocument/publishDiagnostics'](err, params, ctx, config)
  if not params or phase ~= 'waiting-for-diagnostics' then return end
  local fname = vim.uri_to_fname(params.uri)
  if (vim.loop.fs_realpath(fname) or fname) ~= target then return end
  result.diagnostics = params.diagnostics or {}
  if #result.diagnostics > 0 then after_diagnostics(false) end
end

local client_id = vim.lsp.start_client({
  name = 'datadog-wif',
  cmd = job.cmd,
  root_dir = job.root,
  workspace_folders = { { uri = vim.uri_from_fname(job.root), name = vim.fn.fnamemodify(job.root, ':t') } },
  settings = job.settings or vim.empty_dict(),
  handlers = { ['textDocument/publishDiagnostics'] = guarded(on_diagnostics) },
  on_init = function(c, init_result)
    initialized = true
    result.serverInfo = init_result and init_result.serverInfo or vim.NIL
  end,
  on_exit = function(code, signal)
    vim.schedule(function()
      fail(string.format('language server exited early (code %s, signal %s) during %s', code, signal, phase))
    end)
  end,
})
if not client_id then
  fail('could not start the language server: ' .. table.concat(job.cmd, ' '))
  return
end
client = vim.lsp.get_client_by_id(client_id)
vim.lsp.buf_attach_client(bufnr, client_id)

vim.defer_fn(function() after_diagnostics(true) end, job.diagnosticsWaitMs)
vim.defer_fn(function() fail('timeout after ' .. job.timeoutMs .. ' ms during ' .. phase) end, job.timeoutMs)
