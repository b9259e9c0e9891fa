// A multi-step quick input with step numbers and a Back button, the shape
// VS Code's own "create" flows use: each step is an input box or a quick pick,
// Escape cancels the whole flow, Back returns to the previous step with its
// answer kept.

import * as vscode from 'vscode';

/** Thrown by a step when the user pressed Back. */
class BackPressed extends Error {}
/** Thrown by a step when the user pressed Escape or the input was hidden. */
export class FlowCancelled extends Error {}

export interface StepPosition {
  title: string;
  step: number;
  totalSteps: number;
}

export interface InputStepOptions extends StepPosition {
  value: string;
  prompt: string;
  placeholder?: string;
  password?: boolean;
  ignoreFocusOut?: boolean;
  /**
   * Judges the value as it is typed. An Error message blocks Enter; a Warning
   * or Info message is shown but the value may be used.
   */
  validate(value: string): vscode.InputBoxValidationMessage | undefined;
  /**
   * Called once when the box is shown, for answers that arrive later (a caller
   * identity, the existing mappings): `revalidate` re-judges the current value,
   * `setValue` fills the box only if the user has not typed yet.
   */
  onShow?(controls: { revalidate(): void; setValue(value: string): void; setBusy(busy: boolean): void; isDone(): boolean }): void;
}

export interface PickStepOptions<T extends vscode.QuickPickItem> extends StepPosition {
  items: readonly T[];
  placeholder?: string;
  activeItem?: T;
  ignoreFocusOut?: boolean;
}

const isError = (m: vscode.InputBoxValidationMessage | undefined) => m?.severity === vscode.InputBoxValidationSeverity.Error;

/** One input box step. Resolves with the accepted value. */
export function inputStep(options: InputStepOptions): Promise<string> {
  const box = vscode.window.createInputBox();
  box.title = options.title;
  box.step = options.step;
  box.totalSteps = options.totalSteps;
  box.value = options.value;
  box.prompt = options.prompt;
  box.placeholder = options.placeholder;
  box.password = !!options.password;
  box.ignoreFocusOut = options.ignoreFocusOut ?? true;
  if (options.step > 1) box.buttons = [vscode.QuickInputButtons.Back];
  let done = false;
  let typed = options.value !== '';

  return new Promise<string>((resolve, reject) => {
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      fn();
      disposables.forEach((d) => d.dispose());
      box.dispose();
    };
    const judge = () => {
      box.validationMessage = options.validate(box.value);
    };
    const disposables: vscode.Disposable[] = [
      box.onDidChangeValue(() => {
        typed = true;
        judge();
      }),
      box.onDidAccept(() => {
        const message = options.validate(box.value);
        box.validationMessage = message;
        if (!isError(message)) finish(() => resolve(box.value));
      }),
      box.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) finish(() => reject(new BackPressed()));
      }),
      box.onDidHide(() => finish(() => reject(new FlowCancelled()))),
    ];
    judge();
    box.show();
    options.onShow?.({
      revalidate: () => !done && judge(),
      setValue: (value) => {
        if (done || typed) return;
        box.value = value;
        judge();
      },
      setBusy: (busy) => {
        if (!done) box.busy = busy;
      },
      isDone: () => done,
    });
  });
}

/** One quick pick step. Resolves with the picked item. */
export function pickStep<T extends vscode.QuickPickItem>(options: PickStepOptions<T>): Promise<T> {
  const pick = vscode.window.createQuickPick<T>();
  pick.title = options.title;
  pick.step = options.step;
  pick.totalSteps = options.totalSteps;
  pick.items = options.items;
  pick.placeholder = options.placeholder;
  pick.ignoreFocusOut = options.ignoreFocusOut ?? true;
  if (options.activeItem) pick.activeItems = [options.activeItem];
  if (options.step > 1) pick.buttons = [vscode.QuickInputButtons.Back];
  let done = false;

  return new Promise<T>((resolve, reject) => {
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      fn();
      disposables.forEach((d) => d.dispose());
      pick.dispose();
    };
    const disposables: vscode.Disposable[] = [
      pick.onDidAccept(() => {
        const item = pick.selectedItems[0] ?? pick.activeItems[0];
        if (item) finish(() => resolve(item));
      }),
      pick.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) finish(() => reject(new BackPressed()));
      }),
      pick.onDidHide(() => finish(() => reject(new FlowCancelled()))),
    ];
    pick.show();
  });
}

/** A step of a flow: asks for something and records it in the flow's state. */
export interface FlowStep<S> {
  /** Whether this step is part of the flow for the state so far (e.g. the account only for identity mappings). */
  when?(state: S): boolean;
  run(state: S, position: StepPosition): Promise<void>;
}

/**
 * Runs `steps` in order with Back support. Resolves true when every step was
 * answered, false when the user cancelled.
 */
export async function runFlow<S>(title: string, state: S, steps: readonly FlowStep<S>[]): Promise<boolean> {
  let i = 0;
  while (i < steps.length) {
    const active = steps.filter((s) => !s.when || s.when(state));
    const step = steps[i];
    if (step.when && !step.when(state)) {
      i++;
      continue;
    }
    try {
      await step.run(state, { title, step: active.indexOf(step) + 1, totalSteps: active.length });
      i++;
    } catch (err) {
      if (err instanceof BackPressed) {
        // Back to the previous step that is part of the flow.
        do i--;
        while (i > 0 && steps[i].when && !steps[i].when!(state));
        i = Math.max(i, 0);
        continue;
      }
      if (err instanceof FlowCancelled) return false;
      throw err;
    }
  }
  return true;
}
