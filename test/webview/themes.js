// Sets VS Code's theme variables the way a real webview gets them: on <html>'s style, plus a body class per theme kind.
// A representative subset of the Light Modern / Dark Modern / High Contrast palettes. Theme from the page URL (?theme=).
(function () {
  'use strict';
  const common = {
    '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-font-weight': 'normal',
    '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
    '--vscode-editor-font-size': '13px',
    '--vscode-editor-font-weight': 'normal',
  };
  const themes = {
    light: {
      kind: 'vscode-light',
      vars: {
        '--vscode-editor-background': '#ffffff', '--vscode-editor-foreground': '#3b3b3b',
        '--vscode-foreground': '#3b3b3b', '--vscode-descriptionForeground': '#3b3b3b',
        '--vscode-disabledForeground': 'rgba(97, 97, 97, 0.5)', '--vscode-errorForeground': '#f85149',
        '--vscode-focusBorder': '#005fb8', '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.16)', '--vscode-widget-border': '#e5e5e5',
        '--vscode-panel-border': '#e5e5e5', '--vscode-panel-background': '#f8f8f8',
        '--vscode-editorGroupHeader-tabsBackground': '#f8f8f8', '--vscode-sideBar-background': '#f8f8f8',
        '--vscode-editorWidget-background': '#f8f8f8', '--vscode-editorWidget-foreground': '#3b3b3b', '--vscode-editorWidget-border': '#c8c8c8',
        '--vscode-list-activeSelectionBackground': '#e8e8e8', '--vscode-list-activeSelectionForeground': '#000000',
        '--vscode-list-inactiveSelectionBackground': '#e4e6f1', '--vscode-list-hoverBackground': '#f2f2f2',
        '--vscode-editorLineNumber-foreground': '#6e7681', '--vscode-editorLineNumber-activeForeground': '#171184',
        '--vscode-editor-rangeHighlightBackground': 'rgba(253, 255, 0, 0.2)', '--vscode-editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)',
        '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#0258a8',
        '--vscode-button-border': 'rgba(0, 0, 0, 0.1)', '--vscode-button-secondaryBackground': '#e5e5e5',
        '--vscode-button-secondaryForeground': '#3b3b3b', '--vscode-button-secondaryHoverBackground': '#cccccc',
        '--vscode-input-background': '#ffffff', '--vscode-input-foreground': '#3b3b3b', '--vscode-input-border': '#cecece',
        '--vscode-input-placeholderForeground': '#767676', '--vscode-settings-textInputBackground': '#ffffff',
        '--vscode-settings-textInputBorder': '#cecece', '--vscode-settings-textInputForeground': '#3b3b3b',
        '--vscode-settings-headerBorder': '#e5e5e5', '--vscode-settings-dropdownBackground': '#ffffff',
        '--vscode-settings-dropdownBorder': '#cecece', '--vscode-settings-dropdownForeground': '#3b3b3b',
        '--vscode-dropdown-background': '#ffffff', '--vscode-dropdown-border': '#cecece', '--vscode-dropdown-foreground': '#3b3b3b',
        '--vscode-badge-background': '#cccccc', '--vscode-badge-foreground': '#3b3b3b',
        '--vscode-progressBar-background': '#005fb8', '--vscode-icon-foreground': '#3b3b3b',
        '--vscode-panelTitle-activeForeground': '#3b3b3b', '--vscode-panelTitle-activeBorder': '#005fb8',
        '--vscode-panelTitle-inactiveForeground': '#3b3b3b', '--vscode-tab-activeForeground': '#3b3b3b',
        '--vscode-menu-background': '#ffffff', '--vscode-menu-foreground': '#3b3b3b', '--vscode-menu-border': '#cecece',
        '--vscode-menu-selectionBackground': '#005fb8', '--vscode-menu-selectionForeground': '#ffffff',
        '--vscode-textLink-foreground': '#005fb8', '--vscode-toolbar-hoverBackground': 'rgba(184, 184, 184, 0.31)',
        '--vscode-charts-blue': '#1a85ff', '--vscode-charts-purple': '#652d90', '--vscode-charts-green': '#388a34',
        '--vscode-charts-orange': '#d18616', '--vscode-charts-yellow': '#bf8803', '--vscode-charts-red': '#e51400',
        '--vscode-editorWarning-foreground': '#bf8803', '--vscode-inputValidation-warningBackground': '#f6f5d2',
        '--vscode-inputValidation-warningBorder': '#b89500', '--vscode-debugTokenExpression-boolean': '#0000ff',
        '--vscode-debugTokenExpression-value': 'rgba(108, 108, 108, 0.8)',
      },
    },
    dark: {
      kind: 'vscode-dark',
      vars: {
        '--vscode-editor-background': '#1f1f1f', '--vscode-editor-foreground': '#cccccc',
        '--vscode-foreground': '#cccccc', '--vscode-descriptionForeground': '#9d9d9d',
        '--vscode-disabledForeground': 'rgba(204, 204, 204, 0.5)', '--vscode-errorForeground': '#f85149',
        '--vscode-focusBorder': '#0078d4', '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.36)', '--vscode-widget-border': '#313131',
        '--vscode-panel-border': '#2b2b2b', '--vscode-panel-background': '#181818',
        '--vscode-editorGroupHeader-tabsBackground': '#181818', '--vscode-sideBar-background': '#181818',
        '--vscode-editorWidget-background': '#202020', '--vscode-editorWidget-foreground': '#cccccc', '--vscode-editorWidget-border': '#454545',
        '--vscode-list-activeSelectionBackground': '#04395e', '--vscode-list-activeSelectionForeground': '#ffffff',
        '--vscode-list-inactiveSelectionBackground': '#37373d', '--vscode-list-hoverBackground': '#2a2d2e',
        '--vscode-editorLineNumber-foreground': '#6e7681', '--vscode-editorLineNumber-activeForeground': '#cccccc',
        '--vscode-editor-rangeHighlightBackground': 'rgba(255, 255, 255, 0.04)', '--vscode-editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)',
        '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#026ec1',
        '--vscode-button-border': 'rgba(255, 255, 255, 0.07)', '--vscode-button-secondaryBackground': '#313131',
        '--vscode-button-secondaryForeground': '#cccccc', '--vscode-button-secondaryHoverBackground': '#3c3c3c',
        '--vscode-input-background': '#313131', '--vscode-input-foreground': '#cccccc', '--vscode-input-border': '#3c3c3c',
        '--vscode-input-placeholderForeground': '#989898', '--vscode-settings-textInputBackground': '#313131',
        '--vscode-settings-textInputBorder': '#3c3c3c', '--vscode-settings-textInputForeground': '#cccccc',
        '--vscode-settings-headerBorder': '#2b2b2b', '--vscode-settings-dropdownBackground': '#313131',
        '--vscode-settings-dropdownBorder': '#3c3c3c', '--vscode-settings-dropdownForeground': '#cccccc',
        '--vscode-dropdown-background': '#313131', '--vscode-dropdown-border': '#3c3c3c', '--vscode-dropdown-foreground': '#cccccc',
        '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#f8f8f8',
        '--vscode-progressBar-background': '#0078d4', '--vscode-icon-foreground': '#cccccc',
        '--vscode-panelTitle-activeForeground': '#cccccc', '--vscode-panelTitle-activeBorder': '#0078d4',
        '--vscode-panelTitle-inactiveForeground': '#9d9d9d', '--vscode-tab-activeForeground': '#ffffff',
        '--vscode-menu-background': '#1f1f1f', '--vscode-menu-foreground': '#cccccc', '--vscode-menu-border': '#454545',
        '--vscode-menu-selectionBackground': '#0078d4', '--vscode-menu-selectionForeground': '#ffffff',
        '--vscode-textLink-foreground': '#4daafc', '--vscode-toolbar-hoverBackground': 'rgba(90, 93, 94, 0.31)',
        '--vscode-charts-blue': '#3794ff', '--vscode-charts-purple': '#b180d7', '--vscode-charts-green': '#89d185',
        '--vscode-charts-orange': '#d18616', '--vscode-charts-yellow': '#cca700', '--vscode-charts-red': '#f14c4c',
        '--vscode-editorWarning-foreground': '#cca700', '--vscode-inputValidation-warningBackground': '#352a05',
        '--vscode-inputValidation-warningBorder': '#b89500', '--vscode-debugTokenExpression-boolean': '#4e94ce',
        '--vscode-debugTokenExpression-value': 'rgba(204, 204, 204, 0.6)',
      },
    },
    hc: {
      kind: 'vscode-high-contrast',
      vars: {
        '--vscode-editor-background': '#000000', '--vscode-editor-foreground': '#ffffff', '--vscode-foreground': '#ffffff',
        '--vscode-descriptionForeground': 'rgba(255, 255, 255, 0.7)', '--vscode-contrastBorder': '#6fc3df',
        '--vscode-contrastActiveBorder': '#f38518', '--vscode-focusBorder': '#f38518', '--vscode-errorForeground': '#f48771',
        '--vscode-list-activeSelectionBackground': 'transparent', '--vscode-list-inactiveSelectionBackground': 'transparent',
        '--vscode-editorWidget-background': '#0c141f', '--vscode-button-background': '#000000', '--vscode-button-foreground': '#ffffff',
        '--vscode-button-border': '#6fc3df', '--vscode-badge-background': '#000000', '--vscode-badge-foreground': '#ffffff',
        '--vscode-editorLineNumber-foreground': '#ffffff', '--vscode-charts-blue': '#3794ff', '--vscode-charts-green': '#89d185',
        '--vscode-charts-purple': '#b180d7', '--vscode-charts-orange': '#d18616', '--vscode-charts-yellow': '#ffd700', '--vscode-charts-red': '#f14c4c',
        '--vscode-textLink-foreground': '#21a6ff', '--vscode-input-background': '#000000', '--vscode-input-border': '#6fc3df',
      },
    },
  };
  const name = new URLSearchParams(location.search).get('theme') || 'dark';
  const theme = themes[name] || themes.dark;
  const root = document.documentElement;
  for (const [k, v] of Object.entries({ ...common, ...theme.vars })) { root.style.setProperty(k, v); }
  document.body.classList.add(theme.kind);
  document.body.dataset.vscodeThemeKind = theme.kind;
})();
