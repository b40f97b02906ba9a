import { useEffect } from 'react';
import { SignInPage } from '@backstage/core-components';
import type { SignInPageProps } from '@backstage/core-plugin-api';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { homePage } from './home';

/**
 * The guest sign-in, where pressing Enter signs in (the README says so):
 * Enter anywhere on the page, while no control has the focus, presses the
 * guest's Enter button.
 */
function GuestSignIn(props: SignInPageProps) {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const focused = document.activeElement;
      if (
        event.key !== 'Enter' ||
        (focused && focused !== document.body && focused.tagName !== 'HTML')
      ) {
        return;
      }
      const enter = [...document.querySelectorAll('button')].find(
        button => button.textContent?.trim() === 'Enter',
      );
      if (enter) {
        event.preventDefault();
        enter.click();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
  return <SignInPage {...props} align="center" providers={['guest']} />;
}

const guestSignInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => props => <GuestSignIn {...props} />,
  },
});

/** The demo portal's own pages: the guest sign-in and the home page. */
export const demoPortalModule = createFrontendModule({
  pluginId: 'app',
  extensions: [guestSignInPage, homePage],
});
