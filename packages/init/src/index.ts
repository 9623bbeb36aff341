// @skipinit/init: Initialisers as pure functions and the residual-branch schemes (skipinit, fixup, scaled, plain).
export {};
